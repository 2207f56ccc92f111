package parley.bridge;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Optional;
import parley.chat.Rejection;

/**
 * One frame a client sent over the bridge, checked: a known type, an address where the type needs
 * one, headers and body that are JSON objects. What the bridge and its {@link FrameGate} act on.
 *
 * @param address null only for {@link Type#PING}
 * @param replyAddress where the answer to a send goes; null when none is wanted (and for other types)
 * @param headers never null ({@code {}} when the frame has none); credentials travel here
 * @param body the object a send or publish carries ({@code {}} when the frame has none); null for other types
 */
public record BridgeFrame(Type type, String address, String replyAddress, JsonObject headers, JsonObject body) {

  /** The frame types a client may send. */
  public enum Type {
    SEND, PUBLISH, REGISTER, UNREGISTER, PING;

    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Type> ofWireName(Object value) {
      for (Type type : values()) {
        if (type.wireName().equals(value)) {
          return Optional.of(type);
        }
      }
      return Optional.empty();
    }
  }

  /** Reasons a frame is malformed, as the {@code message} of the error frame that answers it. */
  static final String BAD_JSON = "bad_json";
  static final String UNKNOWN_TYPE = "unknown_type";
  static final String MISSING_ADDRESS = "missing_address";
  static final String REPLY_ADDRESS_NOT_STRING = "reply_address_not_string";
  static final String HEADERS_NOT_OBJECT = "headers_not_object";
  static final String BODY_NOT_OBJECT = "body_not_object";

  /** A payload as a JSON object, or a 400 {@link #BAD_JSON} rejection (not JSON, or JSON that is not an object). */
  static JsonObject decode(Buffer payload) {
    Object json;
    try {
      json = Json.decodeValue(payload);
    } catch (DecodeException e) {
      throw Rejection.badRequest(BAD_JSON);
    }
    if (json instanceof JsonObject object) {
      return object;
    }
    throw Rejection.badRequest(BAD_JSON);
  }

  /** The frame a decoded payload holds, or a 400 rejection naming what is wrong with it. */
  static BridgeFrame of(JsonObject json) {
    Type type = Type.ofWireName(json.getValue("type")).orElseThrow(() -> Rejection.badRequest(UNKNOWN_TYPE));
    JsonObject headers = objectOrEmpty(json.getValue("headers"), HEADERS_NOT_OBJECT);
    if (type == Type.PING) {
      return new BridgeFrame(type, null, null, headers, null);
    }
    if (!(json.getValue("address") instanceof String address) || address.isEmpty()) {
      throw Rejection.badRequest(MISSING_ADDRESS);
    }
    String replyAddress = null;
    if (type == Type.SEND && json.getValue("replyAddress") != null) {
      if (!(json.getValue("replyAddress") instanceof String given) || given.isEmpty()) {
        throw Rejection.badRequest(REPLY_ADDRESS_NOT_STRING);
      }
      replyAddress = given;
    }
    boolean carriesBody = type == Type.SEND || type == Type.PUBLISH;
    JsonObject body = carriesBody ? objectOrEmpty(json.getValue("body"), BODY_NOT_OBJECT) : null;
    return new BridgeFrame(type, address, replyAddress, headers, body);
  }

  /**
   * Where an error about this raw frame should go: the reply address of a send that asked for a
   * reply, so that a client waiting on it hears of the failure there.
   */
  static Optional<String> replyAddressOf(JsonObject json) {
    return Type.SEND.wireName().equals(json.getValue("type")) && json.getValue("replyAddress") instanceof String given && !given.isEmpty()
        ? Optional.of(given)
        : Optional.empty();
  }

  private static JsonObject objectOrEmpty(Object value, String reason) {
    if (value == null) {
      return new JsonObject();
    }
    if (value instanceof JsonObject object) {
      return object;
    }
    throw Rejection.badRequest(reason);
  }
}
