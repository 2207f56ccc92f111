// Leaving the app for another address (the OpenID provider's sign-in or sign-out page): a seam
// that tests replace with vi.mock.
export function navigateTo(url) {
  window.location.assign(url);
}
