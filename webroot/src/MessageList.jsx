import { useCallback, useContext, useEffect, useRef } from 'react';
import { Virtuoso, VirtuosoMockContext } from 'react-virtuoso';
import MessageBubble from './MessageBubble.jsx';
import { canSend, isLoading, isStreaming } from './chatState.js';

const NEAR_BOTTOM_PX = 48;
const NEAR_TOP_PX = 48;

function OlderPagesHeader({ context }) {
  return context.loadingOlder ? <p className="py-2 text-center text-xs text-slate-400">Loading earlier messages…</p> : <div className="h-2" />;
}

const listComponents = { Header: OlderPagesHeader, Footer: () => <div className="h-2" /> };

// The path of a window, virtualized: only the messages in view (and a margin) are in the page, so
// a chat of thousands of messages opens and scrolls as fast as a short one. It follows the newest
// token while the person is at the bottom, stays put when they scrolled up, asks for older pages
// when its top comes into view, and opens at `state.view.anchorId` when there is one (the found
// message marked). `stickToBottom` is a ref the window shares: true (follow while at the bottom),
// false (the person is reading above), or FOLLOW_NOW (the person just sent: go to the end).
export const FOLLOW_NOW = 'now';

export default function MessageList({ state, stickToBottom, onLoadOlder, onRegenerate, onEdit, onSwitch }) {
  const scroller = useRef(null);
  // Under test (jsdom, measurements mocked) nothing can be scrolled to: the list opens at its top.
  const measured = useContext(VirtuosoMockContext) === undefined;
  const openedVersion = useRef(null);
  const { messages, view } = state;
  const anchorIndex = view.anchorId ? messages.findIndex((m) => m.id === view.anchorId) : -1;
  // A path opened at a message is read there, not pulled to its end by the next token.
  if (openedVersion.current !== view.version) {
    openedVersion.current = view.version;
    if (anchorIndex >= 0) stickToBottom.current = false;
  }

  // Where the view was last seen: a view that moved up since was moved by the person (the list
  // grows downwards, and following only ever moves it down).
  const lastTop = useRef(0);
  const onScroll = useCallback(() => {
    const list = scroller.current;
    const movedUp = list.scrollTop < lastTop.current - 1;
    lastTop.current = list.scrollTop;
    if (stickToBottom.current === FOLLOW_NOW) return;
    if (list.scrollHeight - list.scrollTop - list.clientHeight < NEAR_BOTTOM_PX) stickToBottom.current = true;
    else if (movedUp) stickToBottom.current = false;
  }, [stickToBottom]);

  // A wheel turned up says "let me read" at once, before its scroll event: a token arriving in
  // between must not pull the view back down.
  const onWheel = useCallback(
    (event) => {
      if (event.deltaY < 0) stickToBottom.current = false;
    },
    [stickToBottom],
  );

  const attachScroller = useCallback(
    (element) => {
      scroller.current?.removeEventListener('scroll', onScroll, { capture: true });
      scroller.current?.removeEventListener('wheel', onWheel);
      scroller.current = element instanceof HTMLElement ? element : null;
      // Capture: before the list's own scroll handler, which may render, measure and so call
      // `follow` at once.
      scroller.current?.addEventListener('scroll', onScroll, { capture: true, passive: true });
      scroller.current?.addEventListener('wheel', onWheel, { passive: true });
    },
    [onScroll, onWheel],
  );

  // The list grew (a token, a new message, a reply typeset once it ended): keep its end in view,
  // unless the person moved the view up, even in the same frame, before its scroll event came.
  const follow = useCallback(() => {
    const list = scroller.current;
    if (!list) return;
    const movedUp = list.scrollTop < lastTop.current - 1;
    if (stickToBottom.current === FOLLOW_NOW || (stickToBottom.current && !movedUp)) {
      stickToBottom.current = true;
      list.scrollTop = list.scrollHeight;
      lastTop.current = list.scrollTop;
    } else if (movedUp) {
      stickToBottom.current = false;
    }
  }, [stickToBottom]);

  // The list tells when its top comes into view (startReached), but not again when it is still
  // there after a page came in front (the page was short, or the person kept the top in view):
  // then the next page is asked for here, once the list has put its place back.
  const { firstIndex, hasMore, loadingOlder } = state;
  useEffect(() => {
    if (!hasMore || loadingOlder) return undefined;
    const frame = requestAnimationFrame(() => {
      if (scroller.current && scroller.current.scrollTop < NEAR_TOP_PX) onLoadOlder();
    });
    return () => cancelAnimationFrame(frame);
  }, [firstIndex, hasMore, loadingOlder, onLoadOlder]);

  const idle = canSend(state);
  const streamingId = isStreaming(state) ? state.streamingId : null;
  const itemContent = useCallback(
    (_, message) => (
      <div className="px-3 py-1.5">
        <MessageBubble
          message={message}
          live={message.id === streamingId}
          idle={idle}
          found={message.id === view.foundId}
          onRegenerate={onRegenerate}
          onEdit={onEdit}
          onSwitch={onSwitch}
        />
      </div>
    ),
    [streamingId, idle, view.foundId, onRegenerate, onEdit, onSwitch],
  );

  if (messages.length === 0) {
    return (
      <div role="log" aria-label="Conversation" className="flex-1 px-3 py-3">
        <p className="text-center text-sm text-slate-400">{isLoading(state) ? 'Loading…' : 'Say something to start the chat.'}</p>
      </div>
    );
  }
  return (
    <div role="log" aria-live="polite" aria-label="Conversation" className="relative min-h-0 flex-1">
      {isLoading(state) && <p className="absolute left-1/2 z-10 -translate-x-1/2 rounded bg-white/90 px-2 text-sm text-slate-400">Loading…</p>}
      <Virtuoso
        key={view.version}
        style={{ height: '100%' }}
        data={messages}
        firstItemIndex={state.firstIndex}
        initialTopMostItemIndex={!measured ? 0 : anchorIndex >= 0 ? { index: anchorIndex, align: 'center' } : { index: 'LAST', align: 'end' }}
        computeItemKey={(_, message) => message.id}
        itemContent={itemContent}
        startReached={onLoadOlder}
        totalListHeightChanged={follow}
        scrollerRef={attachScroller}
        increaseViewportBy={{ top: 600, bottom: 600 }}
        context={{ loadingOlder: state.loadingOlder }}
        components={listComponents}
      />
    </div>
  );
}
