/**
 * {@code nnkurs serve}: the classroom's web server, the draw-a-digit page and DJL Serving's
 * inference API answered in-process from an exported model.
 */
package de.nnkurs.web;
