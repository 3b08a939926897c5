package de.nnkurs;

import java.util.List;

/** The numbers the lesson fixes, in one place; every default in the project refers to these. */
public final class Lesson {

    /** Side length of an MNIST image in pixels. */
    public static final int IMAGE_SIDE = 28;

    /** Input features after {@code images.view(images.shape[0], -1)}: 28 × 28. */
    public static final int INPUT = IMAGE_SIDE * IMAGE_SIDE;

    /**
     * Widths of the hidden layers: {@code nn.Linear(784, 64)}, {@code (64, 64)}, {@code (64, 64)}.
     */
    public static final List<Integer> HIDDEN = List.of(64, 64, 64);

    /** Output classes: the digits 0 to 9. */
    public static final int OUTPUT = 10;

    /** {@code DataLoader(trainset, batch_size=256, shuffle=True)}. */
    public static final int BATCH_SIZE = 256;

    /** {@code optim.Adam(model.parameters(), lr=0.003)}. */
    public static final double LEARNING_RATE = 0.003;

    /** The hands-on trains two epochs. */
    public static final int EPOCHS = 2;

    /** {@code transforms.Normalize((0.5,), (0.5,))}: the mean. */
    public static final float NORMALIZE_MEAN = 0.5f;

    /** {@code transforms.Normalize((0.5,), (0.5,))}: the standard deviation. */
    public static final float NORMALIZE_STD = 0.5f;

    /** Default random seed, so that a plain run is reproducible. */
    public static final long SEED = 1;

    /**
     * Networks with fewer weights than this train fastest on one libtorch thread, larger ones on
     * every core. Measured on 2 cores (seconds per epoch of 80 batches, 1 → 2 threads): 256,256
     * (269,000 weights) 0.48 → 0.52–0.56; 512,512 (670,000) 1.00–1.09 → 0.76–0.96; 1024,1024 (1.9
     * million) 2.9–3.6 → 2.05–2.07. The slides' network has 59,210, and a second thread also stalls
     * it on a busy machine.
     */
    public static final long ONE_THREAD_BELOW_WEIGHTS = 500_000;

    private Lesson() {}

    /** Returns the layer widths from input to output, e.g. {@code 784-64-64-64-10}. */
    public static String architecture() {
        StringBuilder sb = new StringBuilder().append(INPUT);
        HIDDEN.forEach(h -> sb.append('-').append(h));
        return sb.append('-').append(OUTPUT).toString();
    }
}
