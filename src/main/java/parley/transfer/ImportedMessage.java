package parley.transfer;

import java.time.Instant;
import parley.chat.MessageStatus;
import parley.chat.Sender;

/**
 * One message of an imported chat, with the new id it is stored under.
 *
 * @param parentId the new id of the message it follows; null for a first message
 * @param status how a reply ended; never {@code streaming}: an imported message is finished
 * @param model the id of the model that wrote a reply, or null
 */
public record ImportedMessage(String id, String parentId, Sender sender, String text, MessageStatus status, String model,
    Instant createdAt) {}
