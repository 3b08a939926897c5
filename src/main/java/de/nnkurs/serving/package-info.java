/**
 * What runs inside the server: from a picture's bytes to the network's 784 inputs and from its 10
 * outputs to the answer. These classes depend on the JDK and DJL's API only, because the export
 * copies them, and nothing else, into the small jar in its {@code libs/} folder that DJL Serving
 * loads; {@code predict}, {@code evaluate} and the notebooks run the very same classes.
 */
package de.nnkurs.serving;
