package de.nnkurs.data;

import java.util.List;
import java.util.Random;

/**
 * Chooses the order in which an epoch visits the examples, like {@code torch.utils.data.Sampler}.
 */
@FunctionalInterface
public interface Sampler {

    /**
     * Returns the order for the next epoch.
     *
     * @param count the number of examples
     * @return a permutation of {@code 0..count-1}
     */
    int[] nextEpoch(int count);

    /** Returns the file order, {@code shuffle=False}. */
    static Sampler sequential() {
        return count -> {
            int[] order = new int[count];
            for (int i = 0; i < count; i++) {
                order[i] = i;
            }
            return order;
        };
    }

    /**
     * Returns a fresh uniform permutation per epoch (Fisher–Yates), {@code shuffle=True}.
     *
     * @param random the source of randomness, advanced by every epoch
     * @return the sampler
     */
    static Sampler random(Random random) {
        return count -> {
            int[] order = sequential().nextEpoch(count);
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            return order;
        };
    }

    /**
     * Returns the given orders, one per epoch, e.g. read from a file shared with the Python side.
     *
     * @param orders one permutation per epoch
     * @return the sampler; asking for more epochs than given fails
     */
    static Sampler fixed(List<int[]> orders) {
        int[] next = {0};
        return count -> {
            if (next[0] >= orders.size()) {
                throw new IllegalStateException(
                        "only " + orders.size() + " epoch order(s) were given");
            }
            int[] order = orders.get(next[0]++);
            if (order.length != count) {
                throw new IllegalStateException(
                        "epoch order has " + order.length + " entries for " + count + " examples");
            }
            return order.clone();
        };
    }
}
