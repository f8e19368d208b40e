package dev.queuebench.tck.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuebench.tck.ContractTest;
import dev.queuebench.tck.QueueBackendTck;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The contract's index names only kit tests that exist, and every kit test is named in it. */
class ContractTextTest {
    private static final Path CONTRACT = Path.of("..", "docs", "CONTRACT.md");

    @Test
    void everyTestTheIndexNamesExistsAndEveryKitTestIsIndexed() throws IOException {
        String text = Files.readString(CONTRACT);
        String index = text.substring(text.indexOf("## Where the kit checks each clause"));
        Set<String> named = new HashSet<>();
        Matcher m = Pattern.compile("`([a-z][A-Za-z]+)`").matcher(index);
        while (m.find()) {
            named.add(m.group(1));
        }
        Set<String> tests = new HashSet<>();
        for (Class<?> c = QueueBackendTck.class; c != Object.class; c = c.getSuperclass()) {
            for (Method method : c.getDeclaredMethods()) {
                if (method.isAnnotationPresent(ContractTest.class)) {
                    tests.add(method.getName());
                }
            }
        }
        named.removeIf(name -> !Character.isLowerCase(name.charAt(0)) || !name.matches(".*[A-Z].*"));

        assertThat(tests).as("kit tests").isNotEmpty();
        assertThat(named).as("tests the index names").isSubsetOf(tests);
        assertThat(tests).as("kit tests the index leaves out").isSubsetOf(named);
    }
}
