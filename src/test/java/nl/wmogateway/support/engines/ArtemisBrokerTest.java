package nl.wmogateway.support.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ArtemisBrokerTest {

    private static ArtemisBroker broker;

    @BeforeAll
    static void start() {
        broker = ArtemisBroker.start("broker-test");
    }

    @AfterAll
    static void stop() {
        broker.stop();
    }

    @Test
    void aCommittedMessageSurvivesKillNineAndRestart() throws JMSException {
        try (ActiveMQConnectionFactory factory = factory(broker.password());
                Connection c = factory.createConnection()) {
            Session session = c.createSession(true, Session.SESSION_TRANSACTED);
            session.createProducer(session.createQueue("survives")).send(session.createTextMessage("request-1"));
            session.commit();
        }
        broker.kill();
        assertThat(broker.isRunning()).isFalse();
        broker.restart();
        try (ActiveMQConnectionFactory factory = factory(broker.password());
                Connection c = factory.createConnection()) {
            c.start();
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("survives");
            MessageConsumer consumer = session.createConsumer(queue);
            Message message = consumer.receive(10_000);
            assertThat(message).isInstanceOf(TextMessage.class);
            assertThat(((TextMessage) message).getText()).isEqualTo("request-1");
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        assertThatThrownBy(() -> {
                    try (ActiveMQConnectionFactory factory = factory("wrong");
                            Connection c = factory.createConnection()) {
                        c.start();
                    }
                })
                .isInstanceOf(JMSSecurityException.class);
    }

    private static ActiveMQConnectionFactory factory(String password) {
        return new ActiveMQConnectionFactory(broker.brokerUrl(), broker.user(), password);
    }
}
