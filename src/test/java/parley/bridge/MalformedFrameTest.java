package parley.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import parley.support.LogCapture;

/**
 * A malformed frame gets an error frame that says why, and the connection goes on: the next frame
 * is served. None of it writes a stack trace, or anything at all above debug, to the log.
 */
class MalformedFrameTest extends WithBridgeClient {
  private LogCapture log;

  @BeforeEach
  void startNodeAndClient(Vertx vertx, VertxTestContext ctx) {
    startWithBridge(vertx).onComplete(ctx.succeeding(connected -> {
      log = new LogCapture();
      ctx.completeNow();
    }));
  }

  @AfterEach
  void closeLog() {
    if (log != null) {
      log.close();
    }
  }

  @Test
  void eachMalformedFrameIsAnsweredWithItsReasonAndTheNextFrameIsServed(VertxTestContext ctx) {
    Map<Buffer, String> malformed = new LinkedHashMap<>();
    malformed.put(Buffer.buffer("not json"), "bad_json");
    malformed.put(Buffer.buffer("{\"type\":\"ping\""), "bad_json");
    malformed.put(Buffer.buffer("{\"type\":\"ping\"} trailing"), "bad_json");
    malformed.put(Buffer.buffer(), "bad_json");
    malformed.put(Buffer.buffer("[{\"type\":\"ping\"}]"), "bad_json");
    malformed.put(Buffer.buffer("\"ping\""), "bad_json");
    malformed.put(Buffer.buffer(new byte[] {'{', '"', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}), "bad_json");
    malformed.put(Buffer.buffer("[".repeat(100_000)), "bad_json");
    expect(malformed, "unknown_type", "{'type':'shout','address':'parley.chats.list'}", "{'address':'parley.chats.list','body':{}}",
        "{'type':7,'address':'parley.chats.list'}", "{'type':'SEND','address':'parley.chats.list'}");
    expect(malformed, "missing_address", "{'type':'send','body':{}}", "{'type':'register','address':42}", "{'type':'unregister','address':''}");
    expect(malformed, "body_not_object", "{'type':'publish','address':'parley.chat.x.terminate','body':'stop'}",
        "{'type':'send','address':'parley.chats.list','body':[1]}");
    expect(malformed, "headers_not_object", "{'type':'send','address':'parley.chats.list','body':{},'headers':'x'}");
    expect(malformed, "reply_address_not_string", "{'type':'send','address':'parley.chats.list','body':{},'replyAddress':7}");
    expect(malformed, "unknown_address", "{'type':'unregister','address':'parley.chat.x.events'}");

    List<JsonObject> expected = new ArrayList<>();
    malformed.forEach((payload, reason) -> {
      client.writePayload(payload);
      client.write(new JsonObject().put("type", "ping"));
      expected.add(new JsonObject().put("type", "err").put("message", reason));
      expected.add(new JsonObject().put("type", "pong"));
    });
    client.write(new JsonObject().put("type", "send").put("address", "parley.chats.list").put("replyAddress", "list").put("body", new JsonObject()));

    client.frame(f -> "list".equals(f.getString("address"))).onComplete(ctx.succeeding(list -> ctx.verify(() -> {
      assertThat(client.received.subList(0, expected.size())).containsExactlyElementsOf(expected);
      assertThat(list.getString("type")).isEqualTo("message");
      assertThat(list.getValue("body")).isInstanceOf(JsonArray.class);
      assertNothingLogged();
      ctx.completeNow();
    })));
  }

  @Test
  void aSendWhoseBodyIsNotAnObjectGetsA400ReplyNotA503(VertxTestContext ctx) {
    client.write(new JsonObject().put("type", "send").put("address", "parley.messages.send").put("replyAddress", "r1").put("body", "hello"));
    client.frame(f -> "r1".equals(f.getString("address")))
        .compose(failure -> {
          ctx.verify(() -> assertThat(failure).isEqualTo(new JsonObject().put("type", "err").put("address", "r1")
              .put("sourceAddress", "parley.messages.send").put("failureCode", 400).put("failureType", "RECIPIENT_FAILURE")
              .put("message", "body_not_object")));
          // A send without a body acts as one with {}: Parley's own answer says what is missing.
          client.write(new JsonObject().put("type", "send").put("address", "parley.messages.send").put("replyAddress", "r2"));
          return client.frame(f -> "r2".equals(f.getString("address")));
        })
        .compose(noBody -> {
          ctx.verify(() -> {
            assertThat(noBody.getInteger("failureCode")).isEqualTo(400);
            assertThat(noBody.getString("message")).contains("chatId");
          });
          client.write(new JsonObject().put("type", "send").put("address", "parley.messages.history").put("replyAddress", "r3")
              .put("body", new JsonObject().put("chatId", "still-usable")));
          return client.frame(f -> "r3".equals(f.getString("address")));
        })
        .onComplete(ctx.succeeding(history -> ctx.verify(() -> {
          assertThat(history.getString("type")).isEqualTo("message");
          assertThat(history.getJsonArray("body")).isEmpty();
          assertNothingLogged();
          ctx.completeNow();
        })));
  }

  /** A malformed send that asked for a reply hears of it at its reply address, like any failed request. */
  @Test
  void aMalformedSendThatAskedForAReplyIsAnsweredThere(VertxTestContext ctx) {
    client.writePayload(frame("{'type':'send','address':'parley.chats.list','replyAddress':'r','headers':[]}"));
    client.frame(f -> "r".equals(f.getString("address"))).onComplete(ctx.succeeding(failure -> ctx.verify(() -> {
      assertThat(failure.getString("type")).isEqualTo("err");
      assertThat(failure.getInteger("failureCode")).isEqualTo(400);
      assertThat(failure.getString("message")).isEqualTo("headers_not_object");
      ctx.completeNow();
    })));
  }

  private void assertNothingLogged() {
    assertThat(log.lines()).as("log lines while malformed frames came in").isEmpty();
  }

  /** Each of these frames (JSON written with single quotes) is refused for this reason. */
  private static void expect(Map<Buffer, String> malformed, String reason, String... singleQuotedFrames) {
    for (String singleQuoted : singleQuotedFrames) {
      malformed.put(frame(singleQuoted), reason);
    }
  }

  /** JSON written with single quotes, for legibility. */
  private static Buffer frame(String singleQuoted) {
    return Buffer.buffer(singleQuoted.replace('\'', '"'));
  }
}
