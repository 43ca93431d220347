package io.jasyncio.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * SSL contexts over the test key stores in src/test/resources/tls (see the README there): a server
 * for "localhost"/127.0.0.1, a server for "other.example", and a client that trusts both.
 */
public final class TestCerts {
  private TestCerts() {}

  private static final char[] PASSWORD = "changeit".toCharArray();

  /** A server context with the localhost key (SAN dns:localhost, ip:127.0.0.1). */
  public static SSLContext localhostServer() {
    return server("localhost.p12");
  }

  /** A server context with the other.example key (SAN dns:other.example only). */
  public static SSLContext otherServer() {
    return server("other.p12");
  }

  /** A client context that trusts the two test certificates and nothing else. */
  public static SSLContext trustingClient() {
    return trustingClient("TLS");
  }

  /** {@link #trustingClient()} for a protocol ("TLSv1.2": that version at most). */
  public static SSLContext trustingClient(String protocol) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("localhost", certificate("localhost.p12"));
      trust.setCertificateEntry("other", certificate("other.p12"));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance(protocol);
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the test client context", e);
    }
  }

  /**
   * A server context with the localhost key that trusts only the other.example certificate as a
   * client's (for mutual TLS).
   */
  public static SSLContext localhostServerTrustingOtherClients() {
    return withKeyAndTrust("localhost.p12", "other.p12");
  }

  /**
   * A client context whose key is {@code keyStore}'s (sent when a server asks for a certificate)
   * and that trusts the localhost server.
   */
  public static SSLContext clientWithKey(String keyStore) {
    return withKeyAndTrust(keyStore, "localhost.p12");
  }

  /**
   * {@link #clientWithKey} on protocol {@code protocol}, whose key manager sends its certificate
   * whatever issuers the server says it accepts (the JDK's own one sends none that the server would
   * not trust, so an untrusted certificate never reaches the server with it).
   */
  public static SSLContext clientAlwaysSendingKey(String keyStore, String protocol) {
    try {
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(load(keyStore), PASSWORD);
      javax.net.ssl.X509ExtendedKeyManager km =
          (javax.net.ssl.X509ExtendedKeyManager) kmf.getKeyManagers()[0];
      javax.net.ssl.X509ExtendedKeyManager any =
          new javax.net.ssl.X509ExtendedKeyManager() {
            @Override
            public String chooseEngineClientAlias(
                String[] keyType, java.security.Principal[] issuers, javax.net.ssl.SSLEngine e) {
              return km.chooseEngineClientAlias(keyType, null, e); // any issuer
            }

            @Override
            public String[] getClientAliases(String t, java.security.Principal[] i) {
              return km.getClientAliases(t, null);
            }

            @Override
            public String chooseClientAlias(
                String[] t, java.security.Principal[] i, java.net.Socket s) {
              return km.chooseClientAlias(t, null, s);
            }

            @Override
            public String[] getServerAliases(String t, java.security.Principal[] i) {
              return km.getServerAliases(t, i);
            }

            @Override
            public String chooseServerAlias(
                String t, java.security.Principal[] i, java.net.Socket s) {
              return km.chooseServerAlias(t, i, s);
            }

            @Override
            public java.security.cert.X509Certificate[] getCertificateChain(String alias) {
              return km.getCertificateChain(alias);
            }

            @Override
            public java.security.PrivateKey getPrivateKey(String alias) {
              return km.getPrivateKey(alias);
            }
          };
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("trusted", certificate("localhost.p12"));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance(protocol);
      ctx.init(new javax.net.ssl.KeyManager[] {any}, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a test context with key " + keyStore, e);
    }
  }

  private static SSLContext withKeyAndTrust(String keyStore, String trusted) {
    try {
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(load(keyStore), PASSWORD);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("trusted", certificate(trusted));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a test context with key " + keyStore, e);
    }
  }

  private static SSLContext server(String store) {
    try {
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(load(store), PASSWORD);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the test server context " + store, e);
    }
  }

  private static Certificate certificate(String store) throws GeneralSecurityException {
    KeyStore ks = load(store);
    return ks.getCertificate(ks.aliases().nextElement());
  }

  private static KeyStore load(String store) throws GeneralSecurityException {
    try (InputStream in = TestCerts.class.getResourceAsStream("/tls/" + store)) {
      if (in == null) {
        throw new IllegalStateException("test key store not found: /tls/" + store);
      }
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, PASSWORD);
      return ks;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
