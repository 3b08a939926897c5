/** One whole training run, as {@code train} does it: train, refuse divergence, save, export. */
package de.nnkurs.run;
