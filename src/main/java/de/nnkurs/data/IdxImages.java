package de.nnkurs.data;

/**
 * The content of an IDX image file: {@code count} images of {@code rows × cols} unsigned bytes.
 *
 * @param count the number of images
 * @param rows the image height
 * @param cols the image width
 * @param pixels all images, row-major, one byte per pixel
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels) {}
