/**
 * The slides' demonstrations built on the run: dying ReLU, dead units, linear collapse, backprop by
 * hand.
 */
package de.nnkurs.slides;
