package io.kairos.dispatch;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import io.kairos.dispatch.DispatchSettings.ChannelSettings;
import jakarta.mail.Authenticator;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * E-mail over SMTP with Jakarta Mail (Eclipse Angus). The message is plain text; its {@code Message-ID} is derived from
 * the offer id ({@code <offerId@kairos>}) and it carries an {@code Idempotency-Key} header, so a resend after a crash
 * is recognisable downstream. Sending blocks, so it runs on Akka's blocking-IO dispatcher. A malformed or refused
 * address is {@link Channel.Rejected}; connection and server errors may be retried.
 */
public final class EmailChannel implements Channel {
    private final String name;
    private final Session session;
    private final InternetAddress from;
    private final Executor blocking;

    public EmailChannel(ChannelSettings settings, ActorSystem<?> system) {
        this.name = settings.name();
        var c = settings.raw();
        var props = new Properties();
        props.put("mail.smtp.host", c.getString("smtp-host"));
        props.put("mail.smtp.port", String.valueOf(c.getInt("smtp-port")));
        props.put("mail.smtp.starttls.enable", String.valueOf(c.getBoolean("starttls")));
        long timeout = settings.callTimeout().toMillis();
        props.put("mail.smtp.connectiontimeout", String.valueOf(timeout));
        props.put("mail.smtp.timeout", String.valueOf(timeout));
        props.put("mail.smtp.writetimeout", String.valueOf(timeout));
        var user = c.getString("smtp-user");
        Authenticator auth = null;
        if (!user.isEmpty()) {
            props.put("mail.smtp.auth", "true");
            var password = c.getString("smtp-password");
            auth = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(user, password);
                }
            };
        }
        this.session = Session.getInstance(props, auth);
        try {
            this.from = new InternetAddress(c.getString("from"), true);
        } catch (AddressException e) {
            throw new IllegalArgumentException("kairos.dispatch.channels." + name + ".from is not an address", e);
        }
        this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletionStage<Done> send(Message message) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        if (message.address() == null || message.address().isBlank())
                            throw new Rejected("no e-mail address");
                        var mail = new IdempotentMessage(session, message.offerId());
                        mail.setFrom(from);
                        mail.setRecipient(
                                jakarta.mail.Message.RecipientType.TO, new InternetAddress(message.address(), true));
                        mail.setSubject(message.subject(), "UTF-8");
                        mail.setText(message.body(), "UTF-8");
                        mail.setHeader("Idempotency-Key", message.offerId());
                        Transport.send(mail);
                        return Done.getInstance();
                    } catch (AddressException | SendFailedException e) {
                        throw new Rejected(e.getMessage());
                    } catch (MessagingException e) {
                        throw new IllegalStateException(name + ": " + e.getMessage(), e);
                    }
                },
                blocking);
    }

    /** A message whose Message-ID is fixed by the offer, the same on every attempt. */
    private static final class IdempotentMessage extends MimeMessage {
        private final String offerId;

        IdempotentMessage(Session session, String offerId) {
            super(session);
            this.offerId = offerId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", "<" + offerId + "@kairos>");
        }
    }
}
