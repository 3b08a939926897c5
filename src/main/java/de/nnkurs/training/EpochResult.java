package de.nnkurs.training;

/**
 * What one epoch produced.
 *
 * @param epoch the epoch number, from 1
 * @param meanLoss {@code running_loss / len(trainloader)}
 * @param testAccuracy the fraction of test images classified correctly after the epoch
 * @param seconds wall time of the epoch's training (without the evaluation)
 */
public record EpochResult(int epoch, double meanLoss, double testAccuracy, double seconds) {}
