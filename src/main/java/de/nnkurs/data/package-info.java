/** Reading, verifying, fetching and batching MNIST-format IDX files. */
package de.nnkurs.data;
