/** Charts with XChart, the same way for the command line's PNG files and the notebooks. */
package de.nnkurs.plot;
