package de.nnkurs.cli;

import de.nnkurs.Choice;
import de.nnkurs.model.HiddenActivation;
import de.nnkurs.training.LossKind;
import de.nnkurs.training.OptimizerKind;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Turns {@code --activation}, {@code --loss} and {@code --optimizer} labels into the choices. */
final class Choices {

    private Choices() {}

    /** A converter whose lookup names the valid labels when it fails. */
    private abstract static class Converter<E extends Enum<E> & Choice>
            implements ITypeConverter<E> {
        private final Function<String, E> lookup;

        Converter(Function<String, E> lookup) {
            this.lookup = lookup;
        }

        @Override
        public E convert(String value) {
            try {
                return lookup.apply(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code --activation NAME}. */
    static final class Activation extends Converter<HiddenActivation> {
        Activation() {
            super(HiddenActivation::fromLabel);
        }
    }

    /** {@code --loss NAME}. */
    static final class Loss extends Converter<LossKind> {
        Loss() {
            super(LossKind::fromLabel);
        }
    }

    /** {@code --optimizer NAME}. */
    static final class Optimizer extends Converter<OptimizerKind> {
        Optimizer() {
            super(OptimizerKind::fromLabel);
        }
    }

    /** The activation labels, for the help text. */
    static final class ActivationLabels extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        ActivationLabels() {
            super(List.of(Choice.labels(HiddenActivation.class).split(", ")));
        }
    }
}
