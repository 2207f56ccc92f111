package parley.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The Parley name a provider's preferred_username becomes, and the names tried when it is taken. */
class ProviderIdentityTest {
  private static ProviderIdentity named(String preferredUsername) {
    return new ProviderIdentity("https://id.example.org", "sub-1", preferredUsername, null);
  }

  @Test
  void aPreferredUsernameBecomesAParleyNameLowerCasedWithWhatItCannotHoldReplaced() {
    assertThat(named("jane").username()).isEqualTo("jane");
    assertThat(named("Jane.Doe").username()).isEqualTo("jane.doe");
    assertThat(named("Jane Doe@corp.example").username()).isEqualTo("jane-doe-corp.example");
    assertThat(named("_admin").username()).isEqualTo("admin");
    assertThat(named("service-account-a-rather-long-client-name").username()).isEqualTo("service-account-a-rather-long-cl").hasSize(32);
    for (ProviderIdentity unusable : new ProviderIdentity[] {named(null), named(""), named("ü"), named("x")}) {
      assertThat(unusable.username()).as(String.valueOf(unusable.preferredUsername())).isEqualTo("user");
    }
    for (String name : new String[] {"jane", "Jane Doe@corp.example", "service-account-a-rather-long-client-name", "ü"}) {
      assertThat(NewAccount.USERNAME.matcher(named(name).username()).matches()).as(name).isTrue();
    }
  }

  @Test
  void aTakenNameIsFollowedByTheNextFreeNumberStillFittingThePattern() {
    assertThat(named("jane").username(1)).isEqualTo("jane");
    assertThat(named("jane").username(2)).isEqualTo("jane-2");
    assertThat(named("jane").username(13)).isEqualTo("jane-13");
    String long32 = "abcdefghijklmnopqrstuvwxyz012345";
    assertThat(named(long32).username(7)).isEqualTo("abcdefghijklmnopqrstuvwxyz0123-7").hasSize(32);
    assertThat(NewAccount.USERNAME.matcher(named(long32).username(50)).matches()).isTrue();
  }
}
