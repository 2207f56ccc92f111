package parley.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;

/**
 * HTTP/1.1 written by hand over a socket, for what an HTTP client will not send as asked (any Host
 * header, none at all) and to see what becomes of the connection.
 */
final class RawHttp {
  /** What came back before the server closed the connection. */
  record Answer(int status, String head, String body) {
    String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }

    String errorCode() {
      return new JsonObject(body).getJsonObject("error").getString("code");
    }
  }

  private RawHttp() {}

  /** Sends the request text as is and reads until the server closes (ask for Connection: close). */
  static Future<Answer> exchange(Vertx vertx, int port, String request) {
    return untilClosed(vertx, port, request).map(RawHttp::parse);
  }

  /** Connects, sends the text as is (maybe nothing) and completes with all it got once the server closes. */
  static Future<String> untilClosed(Vertx vertx, int port, String text) {
    NetClient client = vertx.createNetClient();
    return client.connect(port, "127.0.0.1").compose(socket -> {
      Promise<String> all = Promise.promise();
      Buffer received = Buffer.buffer();
      socket.handler(received::appendBuffer);
      socket.closeHandler(v -> all.tryComplete(received.toString()));
      socket.exceptionHandler(all::tryFail);
      if (!text.isEmpty()) {
        socket.write(text);
      }
      return all.future();
    }).eventually(client::close);
  }

  /** A request with these head lines (Host among them, or not) that asks the server to close after it. */
  static String request(String method, String uri, String... headers) {
    StringBuilder text = new StringBuilder(method).append(' ').append(uri).append(" HTTP/1.1\r\n");
    for (String header : headers) {
      text.append(header).append("\r\n");
    }
    return text.append("Connection: close\r\n\r\n").toString();
  }

  static Answer parse(String text) {
    int end = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.") || end < 0) {
      throw new AssertionError("not an HTTP answer: '" + text + "'");
    }
    String head = text.substring(0, end);
    int status = Integer.parseInt(head.substring(9, 12));
    String body = text.substring(end + 4);
    if ("chunked".equalsIgnoreCase(new Answer(status, head, "").header("Transfer-Encoding"))) {
      body = unchunk(body);
    }
    return new Answer(status, head, body);
  }

  private static String unchunk(String chunked) {
    StringBuilder body = new StringBuilder();
    int at = 0;
    while (true) {
      int lineEnd = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
      if (size == 0) {
        return body.toString();
      }
      body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
      at = lineEnd + 2 + size + 2;
    }
  }
}
