/** Speed figures of training and inference, measured in-process, for the benchmark. */
package de.nnkurs.bench;
