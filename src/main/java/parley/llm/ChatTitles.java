package parley.llm;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.chat.ChatId;
import parley.chat.ChatMessage;
import parley.chat.MessageIds;
import parley.chat.MessageStatus;
import parley.chat.Sender;
import parley.chat.Titles;
import parley.config.Provider;
import parley.config.Settings;
import parley.store.StoreClient;

/**
 * Names a chat once its first reply has completed: asks a model ({@code PARLEY_TITLE_MODEL}, else
 * the reply's) for a short title, unless the person renamed the chat. A failure leaves the title as
 * it was and is only logged: a title is a nicety, never an error shown to anyone.
 */
final class ChatTitles {
  private static final Logger LOG = LoggerFactory.getLogger(ChatTitles.class);
  private static final int MAX_ANSWER_CHARS = 1000;

  private final StoreClient store;
  private final ModelCatalog catalog;
  private final String titleModel;

  /** @param titleModel a model id, or empty for the reply's own */
  ChatTitles(StoreClient store, ModelCatalog catalog, String titleModel) {
    this.store = store;
    this.catalog = catalog;
    this.titleModel = titleModel;
  }

  /** A reply completed: names its chat if this is the chat's turn to be named. Never fails. */
  Future<Void> replyCompleted(ChatId chatId, ModelCatalog.Choice replyModel, List<ChatMessage> conversation, String replyText) {
    if (Settings.NO_TITLES.equals(titleModel)) {
      return Future.succeededFuture();
    }
    ModelCatalog.Choice model = titleModel.isEmpty() ? replyModel : catalog.find(titleModel);
    if (model == null) {
      LOG.warn("PARLEY_TITLE_MODEL {} is not a known model: chats keep the start of their first message as title", titleModel);
      return Future.succeededFuture();
    }
    // The demo model answers everything with the same text: no title to be had from it.
    if (Provider.DEMO.equals(model.provider().name())) {
      return Future.succeededFuture();
    }
    return store.claimTitle(chatId).compose(claimed -> !claimed
            ? Future.succeededFuture()
            : ask(model, Titles.excerpt(Titles.question(conversation), replyText))
                .compose(raw -> {
                  String title = Titles.clean(raw);
                  return title == null ? Future.failedFuture("the model answered no usable title") : Future.succeededFuture(title);
                })
                .recover(failure -> {
                  LOG.warn("Could not name chat {} with model {}: {}", chatId, model.id(), failure.getMessage());
                  return Future.succeededFuture(null);
                })
                .compose(title -> store.titled(chatId, title)))
        .recover(failure -> {
          LOG.warn("Could not store the title of chat {}", chatId, failure);
          return Future.succeededFuture();
        });
  }

  private Future<String> ask(ModelCatalog.Choice model, String excerpt) {
    Promise<String> answer = Promise.promise();
    StringBuilder text = new StringBuilder();
    ChatMessage prompt = new ChatMessage(MessageIds.next(), null, Sender.USER, excerpt, MessageStatus.COMPLETE, Instant.now());
    ModelBackend.ModelCall[] call = new ModelBackend.ModelCall[1];
    call[0] = model.provider().stream(new ModelRequest(model.name(), Titles.INSTRUCTION, null), List.of(prompt),
        new ModelBackend.Listener() {
          @Override
          public void onText(String piece) {
            text.append(piece);
            if (text.length() > MAX_ANSWER_CHARS && call[0] != null) {
              call[0].cancel();
              answer.tryComplete(text.toString());
            }
          }

          @Override
          public void onComplete() {
            answer.tryComplete(text.toString());
          }

          @Override
          public void onError(String reason) {
            answer.tryFail(reason);
          }
        });
    return answer.future();
  }
}
