// A usage period from /api/me or /api/users ({replies, promptTokens, completionTokens}) in words.
const number = (n) => (n ?? 0).toLocaleString('en-US');

export function usageSummary(period) {
  if (!period) return 'no usage';
  const replies = period.replies ?? 0;
  const tokens = (period.promptTokens ?? 0) + (period.completionTokens ?? 0);
  return `${number(replies)} ${replies === 1 ? 'reply' : 'replies'} · ${number(tokens)} tokens`;
}

export function usageDetail(period) {
  if (!period) return '';
  return `${number(period.promptTokens)} prompt + ${number(period.completionTokens)} completion tokens`;
}
