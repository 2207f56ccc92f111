package parley.transfer;

import static parley.transfer.ImportRules.bad;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The one way into an import: the file's bytes in, the chats to store out, or a 400 saying what was
 * wrong. Parley's export is a JSON object naming its format; ChatGPT's {@code conversations.json}
 * is an array of conversations (a lone conversation object is taken too). Everything is checked
 * before anything is returned, so an import that fails stores nothing.
 *
 * <p>The JSON is read by Jackson with a bound on nesting: no export nests deeper than a few dozen
 * levels, and a file nested thousands deep is refused by the parser itself, with nothing recursing
 * on Parley's side.
 */
public final class ImportReader {
  /** Deepest nesting of arrays and objects a file may have. */
  public static final int MAX_NESTING = 128;

  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
      .build();
  /**
   * For the first pass, which only counts: field names are not kept in a symbol table, so a file
   * of a million different ones costs no more than any other.
   */
  private static final JsonFactory COUNTING = JSON.rebuild().disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build();
  private static final byte[] ZIP_SIGNATURE = {'P', 'K', 3, 4};

  private ImportReader() {}

  /**
   * @param maxMessages the most messages (ChatGPT: nodes) the file may hold, counted before
   *     anything is built
   * @param now the time of the import: later times in the file become it, missing ones are it
   */
  public static List<ImportedChat> read(Buffer body, int maxMessages, ImportIds ids, Instant now) {
    Object file = parse(body, maxMessages);
    List<ImportedChat> chats;
    if (file instanceof JsonArray conversations) {
      chats = ChatGptFormat.read(conversations, maxMessages, ids, now);
    } else if (file instanceof JsonObject object && ParleyFormat.claims(object)) {
      chats = ParleyFormat.read(object, maxMessages, ids, now);
    } else if (file instanceof JsonObject object && ChatGptFormat.looksLikeConversation(object)) {
      chats = ChatGptFormat.read(new JsonArray().add(object), maxMessages, ids, now);
    } else {
      throw bad("unknown format: an import takes a Parley export (an object with \"format\": \"" + ParleyFormat.FORMAT
          + "\") or ChatGPT's conversations.json (an array of conversations)");
    }
    if (chats.isEmpty()) {
      throw bad("the file holds no message to import");
    }
    return chats;
  }

  /**
   * The file as JSON values, once a first pass over its tokens (which builds nothing) has found it
   * to be one well-formed JSON value, nested no deeper than allowed, holding no more messages than
   * allowed: a file that claims a million messages costs a read, not a million objects.
   */
  private static Object parse(Buffer body, int maxMessages) {
    if (body == null || body.length() == 0) {
      throw bad("the body is empty: send the export file as it is");
    }
    byte[] bytes = body.getBytes();
    if (startsWith(bytes, ZIP_SIGNATURE)) {
      throw bad("this is a ZIP archive: unzip the export and send the conversations.json inside it");
    }
    try (JsonParser parser = COUNTING.createParser(bytes)) {
      long messages = MessageCount.of(parser);
      if (messages > maxMessages) {
        throw ImportRules.tooMany(messages, maxMessages);
      }
    } catch (StreamConstraintsException e) {
      throw bad(tooDeep());
    } catch (JsonProcessingException e) {
      throw bad(notJson(e));
    } catch (IOException e) {
      throw bad("the file cannot be read as JSON");
    }
    try (JsonParser parser = JSON.createParser(bytes)) {
      return JacksonCodec.fromParser(parser, Object.class);
    } catch (DecodeException e) {
      throw bad(e.getCause() instanceof JsonProcessingException jackson ? notJson(jackson) : "the file is not JSON");
    } catch (IOException e) {
      throw bad("the file cannot be read as JSON");
    }
  }

  private static String tooDeep() {
    return "the JSON nests deeper than " + MAX_NESTING + " levels: no export does";
  }

  private static String notJson(JsonProcessingException e) {
    if (e instanceof StreamConstraintsException) {
      return tooDeep();
    }
    JsonLocation at = e.getLocation();
    return "the file is not JSON: " + e.getOriginalMessage()
        + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
