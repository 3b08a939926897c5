/** Saving trained models with their metadata, atomically. */
package de.nnkurs.export;
