/** The slides' classifier as a DJL block, in sequential and class style. */
package de.nnkurs.model;
