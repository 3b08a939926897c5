/** Judging a trained classifier on the test split: confusion matrix, table and pictures. */
package de.nnkurs.evaluation;
