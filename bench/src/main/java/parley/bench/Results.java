package parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where every benchmark leaves its figures: {@code bench/results/<name>}, and on the console. */
final class Results {
  static final Path DIRECTORY = Path.of("bench", "results");

  private Results() {}

  /** Writes the report to {@code bench/results/<name>} and prints it. */
  static Path write(String name, CharSequence markdown) throws IOException {
    Files.createDirectories(DIRECTORY);
    Path file = DIRECTORY.resolve(name);
    Files.writeString(file, markdown);
    System.out.println();
    System.out.print(markdown);
    return file;
  }
}
