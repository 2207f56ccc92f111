// The contract's rules for accounts (docs/API.md, "Accounts and sessions"), checked before asking.
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,31}$/;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

export const USERNAME_RULE = 'A username has 2 to 32 characters: lower-case letters, digits, dots, dashes or underscores, starting with a letter or a digit.';
export const PASSWORD_RULE = `A password has ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`;

// Usernames are compared lower-cased.
export function normalizeUsername(username) {
  return username.trim().toLowerCase();
}

// The rule broken, or null when the server may be asked.
export function credentialsProblem({ username, password }) {
  if (!USERNAME_PATTERN.test(username)) return USERNAME_RULE;
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) return PASSWORD_RULE;
  return null;
}
