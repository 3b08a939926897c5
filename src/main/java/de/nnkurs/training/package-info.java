/** The slides' loop, its losses and optimizers, test-set predictions and checkpoints. */
package de.nnkurs.training;
