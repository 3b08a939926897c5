/**
 * Trained models on disk (ModelFolder), the DJL Serving export and loading it as the server does.
 */
package de.nnkurs.export;
