/** The slides' activations, losses, optimizers and derivations as small, tested DJL pieces. */
package de.nnkurs.slides;
