package dev.algotrade.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every ```java block in README.md and docs/*.md that declares a class must compile against the
 * current code, so the examples users copy never rot.
 */
class CodeSnippetsTest {
  private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern CLASS = Pattern.compile("(?m)^public (?:final )?(?:class|record|interface) (\\w+)");

  @TempDir
  Path out;

  static Path root() {
    return Path.of(System.getProperty("algotrade.repo.root", "..")).toAbsolutePath().normalize();
  }

  static List<Path> documents() throws IOException {
    List<Path> docs = new ArrayList<>();
    docs.add(root().resolve("README.md"));
    try (Stream<Path> s = Files.list(root().resolve("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  @Test
  void theReadmeHasACompilableStrategyExample() throws IOException {
    String readme = Files.readString(root().resolve("README.md"));
    Matcher m = BLOCK.matcher(readme);
    boolean found = false;
    while (m.find()) {
      found |= m.group(1).contains("implements Strategy") || m.group(1).contains("new Strategy()");
    }
    assertThat(found).as("README shows how to write a strategy").isTrue();
  }

  @TestFactory
  Stream<DynamicTest> everyJavaBlockCompiles() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path doc : documents()) {
      String text = Files.readString(doc);
      Matcher m = BLOCK.matcher(text);
      int n = 0;
      while (m.find()) {
        String code = m.group(1);
        Matcher c = CLASS.matcher(code);
        if (!c.find()) {
          continue; // a fragment, not a compilation unit
        }
        String cls = c.group(1);
        int index = ++n;
        tests.add(DynamicTest.dynamicTest(root().relativize(doc) + " block " + index + " (" + cls + ")",
            () -> compile(doc.getFileName() + "-" + index, cls, code)));
      }
    }
    assertThat(tests).as("java examples found in the docs").isNotEmpty();
    return tests.stream();
  }

  private void compile(String name, String cls, String code) throws IOException {
    Path dir = Files.createDirectories(out.resolve(name.replaceAll("[^A-Za-z0-9-]", "_")));
    Path src = dir.resolve(cls + ".java");
    Files.writeString(src, code);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    boolean ok = javac.getTask(diagnostics, null, null,
        List.of("-d", dir.toString(), "-classpath", System.getProperty("java.class.path"), "--release", "17"),
        null, javac.getStandardFileManager(null, null, null).getJavaFileObjects(src.toFile())).call();
    assertThat(ok).as("compiling %s:%n%s", name, diagnostics).isTrue();
  }
}
