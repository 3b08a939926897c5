/** The lesson's constants; the subpackages hold data, model, training loop, export and CLI. */
package de.nnkurs;
