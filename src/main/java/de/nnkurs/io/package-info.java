/** Writing files and folders so that nothing half-written ever looks complete. */
package de.nnkurs.io;
