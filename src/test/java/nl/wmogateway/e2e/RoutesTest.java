package nl.wmogateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import nl.wmogateway.config.RouteIds;
import nl.wmogateway.support.GatewayTestBase;
import nl.wmogateway.support.Requests;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The routes in routes/*.camel.yaml as the running gateway loaded them: the ids the code refers to
 * ({@link RouteIds}) exist, every route uses the one error policy, and a plan travels through the
 * intake route and its gemeente's delivery route.
 */
class RoutesTest extends GatewayTestBase {

    @Autowired
    private CamelContext camel;

    @Test
    void everyRouteTheCodeNamesIsLoaded() {
        for (String id : List.of(
                RouteIds.INTAKE,
                RouteIds.BESCHIKKING,
                RouteIds.RECORD_BESCHIKKING,
                RouteIds.routeId(RouteIds.PLAN_TEMPLATE, "0153"),
                RouteIds.routeId(RouteIds.MESSAGE_TEMPLATE, "0153"))) {
            assertThat(camel.getRoute(id)).as("route " + id).isNotNull();
        }
        assertThat(model().getRouteTemplateDefinition(RouteIds.PLAN_TEMPLATE)).isNotNull();
        assertThat(model().getRouteTemplateDefinition(RouteIds.MESSAGE_TEMPLATE))
                .isNotNull();
    }

    @Test
    void everyRouteUsesTheOneErrorPolicy() {
        assertThat(model().getRouteConfigurationDefinition(RouteIds.ERROR_POLICY))
                .isNotNull();
        assertThat(model().getRouteDefinitions())
                .isNotEmpty()
                .allSatisfy(route -> assertThat(route.getRouteConfigurationId())
                        .as("route " + route.getRouteId())
                        .isEqualTo(RouteIds.ERROR_POLICY));
    }

    @Test
    void theIntakeRouteTakesItsStepsInTheDocumentedOrder() {
        RouteDefinition intake = model().getRouteDefinition(RouteIds.INTAKE);
        List<String> steps =
                intake.getOutputs().stream().map(ProcessorDefinition::getId).toList();
        assertThat(steps).containsExactlyElementsOf(RouteIds.INTAKE_STEPS);
    }

    @Test
    void aPlanGoesThroughTheIntakeRouteAndItsGemeentesDeliveryRoute() {
        NotifyBuilder intake = new NotifyBuilder(camel)
                .fromRoute(RouteIds.INTAKE)
                .whenCompleted(1)
                .create();
        NotifyBuilder delivery = new NotifyBuilder(camel)
                .fromRoute(RouteIds.routeId(RouteIds.PLAN_TEMPLATE, "0153"))
                .whenCompleted(1)
                .create();

        awaitBusinessStatus(submit(Requests.fresh()), "delivered");

        assertThat(intake.matches(30, TimeUnit.SECONDS))
                .as("intake route completed")
                .isTrue();
        assertThat(delivery.matches(30, TimeUnit.SECONDS))
                .as("delivery route for 0153 completed")
                .isTrue();
    }

    private ModelCamelContext model() {
        return (ModelCamelContext) camel;
    }
}
