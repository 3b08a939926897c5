/**
 * The slides' classifier in both styles, its activations, its weights as state_dict files, libtorch
 * threads.
 */
package de.nnkurs.model;
