package parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import parley.support.ApiClient;
import parley.support.ApiClient.Answer;
import parley.support.WithAccountsNode;

/**
 * With accounts, an import makes the caller's chats and only the caller's; nobody else can see or
 * export them; a stranger's file is never read, and another site cannot make a browser import.
 */
class ImportOwnershipTest extends WithAccountsNode {
  private static ApiClient carol;
  private static ApiClient dave;

  @BeforeAll
  static void twoUsers() {
    carol = ApiClient.signUp(shared.node(), "carol", PASSWORD);
    dave = ApiClient.signUp(shared.node(), "dave", PASSWORD);
  }

  private static Answer importing(ApiClient client, String... headers) {
    String[] withType = new String[headers.length + 2];
    withType[0] = "Content-Type";
    withType[1] = "application/json";
    System.arraycopy(headers, 0, withType, 2, headers.length);
    return client.request(HttpMethod.POST, "/api/import", ImportTest.resource("parley-export.json"), withType);
  }

  private static List<String> importedIds(Answer answer) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
    return answer.json().getJsonArray("chats").stream().map(chat -> ((JsonObject) chat).getString("chatId")).toList();
  }

  @Test
  void importedChatsAreTheCallersAlone() {
    List<String> carols = importedIds(importing(carol));
    assertThat(carol.chatIds()).containsAll(carols);
    assertThat(dave.chatIds()).doesNotContainAnyElementsOf(carols);
    for (String chatId : carols) {
      Answer export = dave.get("/api/chats/" + chatId + "/export?format=json");
      assertThat(export.status()).isEqualTo(404);
      assertThat(export.errorCode()).isEqualTo("not_found");
      assertThat(dave.history(chatId)).isEmpty();
      assertThat(carol.get("/api/chats/" + chatId + "/export?format=json").status()).isEqualTo(200);
    }
    // A script of dave's imports the same file: new chats, his own.
    List<String> daves = importedIds(importing(dave.script("dave's importer")));
    assertThat(daves).doesNotContainAnyElementsOf(carols);
    assertThat(dave.chatIds()).containsAll(daves).doesNotContainAnyElementsOf(carols);
    assertThat(carol.chatIds()).doesNotContainAnyElementsOf(daves);
  }

  @Test
  void aStrangerIsRefusedAndAnotherSiteCannotImportThroughABrowser() {
    List<String> before = carol.chatIds();
    Answer stranger = importing(ApiClient.anonymous(shared.node()));
    assertThat(stranger.status()).isEqualTo(401);
    assertThat(stranger.errorCode()).isEqualTo("unauthenticated");
    // Nothing about the request is judged before who sends it: not its type, nor its size.
    ApiClient anonymous = ApiClient.anonymous(shared.node());
    Answer plainText = anonymous.request(HttpMethod.POST, "/api/import", Buffer.buffer("{}"), "Content-Type", "text/plain");
    assertThat(plainText.status()).as(plainText.toString()).isEqualTo(401);
    assertThat(plainText.errorCode()).isEqualTo("unauthenticated");
    Buffer tooLarge = Buffer.buffer("{\"chatId\":\"x\",\"content\":\"" + "y".repeat(shared.node().settings().maxBodyBytes()) + "\"}");
    Answer largeSend = anonymous.request(HttpMethod.POST, "/api/messages", tooLarge, "Content-Type", "application/json");
    assertThat(largeSend.status()).as(largeSend.toString()).isEqualTo(401);
    assertThat(largeSend.errorCode()).isEqualTo("unauthenticated");
    Answer forged = importing(carol, "Origin", "https://evil.example");
    assertThat(forged.status()).isEqualTo(403);
    assertThat(forged.errorCode()).isEqualTo("csrf");
    assertThat(carol.chatIds()).isEqualTo(before);
  }
}
