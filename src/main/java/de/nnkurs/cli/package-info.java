/** The picocli command line: commands parse arguments and delegate. */
package de.nnkurs.cli;
