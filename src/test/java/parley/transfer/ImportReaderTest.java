package parley.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static parley.transfer.ChatGptFormatTest.NOW;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import parley.chat.ErrorCode;
import parley.chat.Rejection;

/** Files that are not an export at all: each a 400 with a reason, never a crash. */
class ImportReaderTest {
  private static String refusal(Buffer body) {
    Throwable thrown = catchThrowable(() -> ImportReader.read(body, 1000, new CountingIds(), NOW));
    assertThat(thrown).isInstanceOf(Rejection.class);
    assertThat(((Rejection) thrown).code()).isEqualTo(ErrorCode.BAD_REQUEST);
    return thrown.getMessage();
  }

  private static String refusal(String body) {
    return refusal(Buffer.buffer(body));
  }

  @Test
  void notJson() {
    assertThat(refusal("")).contains("the body is empty");
    assertThat(refusal("hello")).contains("the file is not JSON", "line 1, column 6");
    assertThat(refusal("{\"format\": \"parley-chat\"")).contains("the file is not JSON");
    assertThat(refusal("[] []")).contains("more follows the first JSON value");
    assertThat(refusal("   ")).contains("the file is not JSON");
    assertThat(refusal(Buffer.buffer(new byte[] {'P', 'K', 3, 4, 20, 0}))).contains("ZIP archive", "conversations.json");
  }

  @Test
  void deepNestingIsRefusedByTheParserNotByAStackOverflow() {
    assertThat(refusal("[".repeat(1000) + "]".repeat(1000))).contains("nests deeper than " + ImportReader.MAX_NESTING);
    assertThat(refusal("{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000))).contains("nests deeper than");
    String deepButAllowed = "[" + "[".repeat(ImportReader.MAX_NESTING - 2) + "]".repeat(ImportReader.MAX_NESTING - 2) + "]";
    assertThat(refusal(deepButAllowed)).doesNotContain("nests deeper");
  }

  @Test
  void unknownFormats() {
    assertThat(refusal("42")).contains("unknown format");
    assertThat(refusal("\"conversations\"")).contains("unknown format");
    assertThat(refusal("{\"chats\": []}")).contains("unknown format");
    assertThat(refusal(new JsonObject().put("format", 7).encode())).contains("unknown format");
  }

  @Test
  void aFileWithNothingToKeepIsRefused() {
    assertThat(refusal("[]")).contains("no message to import");
    JsonObject onlyRoot = new JsonObject().put("mapping", new JsonObject()
        .put("root", new JsonObject().put("id", "root").putNull("parent").putNull("message")));
    assertThat(refusal(new JsonArray().add(onlyRoot).encode())).contains("no message to import");
  }

  @Test
  void aFileClaimingAMillionMessagesIsRefusedBeforeAnythingIsBuilt() {
    // A million tiny nodes fit in well under 20 MB; counting them is all the work done.
    StringBuilder mapping = new StringBuilder("[{\"title\":\"flood\",\"mapping\":{");
    for (int i = 0; i < 1_000_000; i++) {
      mapping.append(i == 0 ? "" : ",").append('"').append(i).append("\":0");
    }
    String file = mapping.append("}}]").toString();
    assertThat(file.length()).isLessThan(20_000_000);
    assertThat(refusal(file)).contains("1000000 messages", "at most 1000", "PARLEY_MAX_IMPORT_MESSAGES");
  }
}
