/** The slides' training loop and test-set evaluation. */
package de.nnkurs.training;
