/** The side-by-side comparison with the Python version: run records, report and plot. */
package de.nnkurs.compare;
