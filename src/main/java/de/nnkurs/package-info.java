/**
 * The lesson's constants and shared types; the subpackages hold data, model, training, the run,
 * export, CLI.
 */
package de.nnkurs;
