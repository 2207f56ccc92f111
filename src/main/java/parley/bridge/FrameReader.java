package parley.bridge;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.util.function.LongConsumer;

/**
 * Cuts a bridge connection's bytes into frame payloads: a 4-byte big-endian length, then that many
 * bytes. A length over {@link #MAX_FRAME_BYTES} stops reading at once, before any of the body is
 * buffered, so what a client announces never decides what the node allocates.
 *
 * <p>Built on Vert.x's {@link RecordParser} in fixed-size mode (4 bytes, then the announced length)
 * rather than the bridge library's own {@code FrameParser}, which buffers whatever a frame
 * announces. The parser reads from the socket with back-pressure: while paused it pauses the socket.
 */
final class FrameReader {
  /** 1 MiB: the longest frame payload a client may send. */
  static final int MAX_FRAME_BYTES = 1 << 20;

  private static final int LENGTH_BYTES = 4;

  private final RecordParser parser;
  private final Handler<Buffer> onFrame;
  private final LongConsumer onTooLong;
  private boolean readingLength = true;
  private boolean stopped;

  /**
   * @param onFrame each frame's payload, in order
   * @param onTooLong the length a frame announced (unsigned) when it is over the limit; nothing is read after it
   */
  FrameReader(NetSocket socket, Handler<Buffer> onFrame, LongConsumer onTooLong) {
    this.onFrame = onFrame;
    this.onTooLong = onTooLong;
    this.parser = RecordParser.newFixed(LENGTH_BYTES, socket);
    parser.handler(this::record);
  }

  private void record(Buffer record) {
    if (stopped) {
      return;
    }
    if (!readingLength) {
      readingLength = true;
      parser.fixedSizeMode(LENGTH_BYTES);
      onFrame.handle(record);
      return;
    }
    long length = Integer.toUnsignedLong(record.getInt(0));
    if (length > MAX_FRAME_BYTES) {
      stop();
      onTooLong.accept(length);
    } else if (length == 0) {
      onFrame.handle(Buffer.buffer());
    } else {
      readingLength = false;
      parser.fixedSizeMode((int) length);
    }
  }

  /** No frame is delivered until {@link #resume()}; the socket stops being read meanwhile. */
  void pause() {
    parser.pause();
  }

  void resume() {
    if (!stopped) {
      parser.resume();
    }
  }

  /** For good: nothing more is read or delivered. */
  void stop() {
    stopped = true;
    parser.pause();
  }
}
