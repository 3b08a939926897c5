package de.nnkurs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One vocabulary and the library's defaults, across every command. */
class OptionDefaultsTest extends CommandLineTest {

    private static List<CommandSpec> commands() {
        List<CommandSpec> all = new ArrayList<>();
        collect(new CommandLine(new Main()), all);
        return all;
    }

    private static void collect(CommandLine cli, List<CommandSpec> all) {
        all.add(cli.getCommandSpec());
        cli.getSubcommands().values().forEach(sub -> collect(sub, all));
    }

    @Test
    void noOptionSpellsOutADefaultTheLibraryOwns() {
        for (CommandSpec command : commands()) {
            for (ArgSpec arg : command.args()) {
                // A default is the field's initial value, taken from the library, never a literal
                // in the annotation.
                assertNull(
                        arg.defaultValue(),
                        command.qualifiedName()
                                + " "
                                + arg.paramLabel()
                                + " has a literal default");
            }
        }
    }

    @Test
    void eachOptionNameMeansOneKindOfValue() {
        Map<String, String> labels = new TreeMap<>();
        for (CommandSpec command : commands()) {
            for (OptionSpec option : command.options()) {
                String label = option.paramLabel();
                if (option.arity().max() == 0 || option.longestName().equals("--output")) {
                    continue; // flags; --output names a folder or a file by command
                }
                String before = labels.putIfAbsent(option.longestName(), label);
                if (before != null) {
                    assertEquals(before, label, option.longestName() + " in " + command.name());
                }
            }
        }
        assertTrue(labels.containsKey("--model"));
        assertTrue(labels.containsKey("--data-dir"));
    }

    @Test
    void trainShowsTheLibrarysDefaults() {
        assertEquals(0, run("train", "--help"));
        String help = out.toString().replaceAll("\\s+", " ");
        // The slides: nn.Linear(784, 64) … (64, 10), ReLU, Adam(lr=0.003), CrossEntropyLoss,
        // batch_size=256, the hands-on's two epochs.
        for (String fragment :
                List.of(
                        "(default: 64,64,64)",
                        "(default: relu)",
                        "(default: adam)",
                        "(default: cross-entropy)",
                        "(default: 0.003)",
                        "(default: 256)",
                        "(default: 2)",
                        "(default: data/mnist")) {
            assertTrue(help.contains(fragment), fragment + " missing in: " + help);
        }
    }

    @Test
    void theOldSpellingsAreGone() {
        assertEquals(2, run("evaluate", "--out", "x"));
        err.getBuffer().setLength(0);
        assertEquals(2, run("export", "--to", "x"));
        err.getBuffer().setLength(0);
        assertEquals(2, run("bench", "--json", "x"));
        err.getBuffer().setLength(0);
        assertEquals(2, run("train", "--record", "x"));
    }
}
