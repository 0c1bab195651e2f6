package nl.wmogateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Wmo Gateway: EHR FHIR plans in, gemeente ondersteuningsplannen out, beschikkingen back. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class WmoGatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(WmoGatewayApplication.class, args);
    }
}
