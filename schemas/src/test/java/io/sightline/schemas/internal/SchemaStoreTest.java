package io.sightline.schemas.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** State is a pure function of the journal: the same entries rebuild the same ids, versions and levels. */
class SchemaStoreTest {
    private static final String V1 = canonical("""
            {"type":"record","name":"User","fields":[{"name":"name","type":"string"}]}""");
    private static final String V2_OPTIONAL_AGE = canonical("""
            {"type":"record","name":"User","fields":[{"name":"name","type":"string"},
             {"name":"age","type":["null","int"],"default":null}]}""");
    private static final String V2_REQUIRED_AGE = canonical("""
            {"type":"record","name":"User","fields":[{"name":"name","type":"string"},{"name":"age","type":"int"}]}""");
    private static final String NO_NAME = canonical("""
            {"type":"record","name":"User","fields":[{"name":"age","type":["null","int"],"default":null}]}""");

    private final List<SchemasRecord> journal = new ArrayList<>();
    private final SchemaStore store = new SchemaStore();

    @Test
    void rebuildingFromTheJournalGivesTheSameIdsVersionsAndLevels() {
        register("users-value", V1);
        register("users-value", V2_OPTIONAL_AGE);
        register("admins-value", V1);
        write(new SchemasRecord.Config(null, CompatibilityLevel.FULL));
        write(new SchemasRecord.Config("admins-value", CompatibilityLevel.NONE));

        SchemaStore rebuilt = new SchemaStore();
        journal.forEach(rebuilt::apply);

        assertThat(rebuilt.subjects()).containsExactly("admins-value", "users-value");
        assertThat(rebuilt.latest("users-value")).isEqualTo(store.latest("users-value"));
        assertThat(rebuilt.version("users-value", 1).id()).isEqualTo(1);
        assertThat(rebuilt.latest("users-value").id()).isEqualTo(2);
        assertThat(rebuilt.latest("admins-value").id()).as("same schema, same id").isEqualTo(1);
        assertThat(rebuilt.globalLevel()).isEqualTo(CompatibilityLevel.FULL);
        assertThat(rebuilt.subjectLevel("admins-value")).contains(CompatibilityLevel.NONE);
        assertThat(rebuilt.planRegistration("other-value", NO_NAME).id()).as("next id after a rebuild").isEqualTo(3);
    }

    @Test
    void idsFromAnotherRegistryAreKeptAndNewOnesFollowTheHighest() {
        store.apply(new SchemasRecord.SchemaVersion("orders-value", 1, 41, V1, false));

        assertThat(store.schema(41)).isEqualTo(V1);
        assertThat(register("orders-value", V2_OPTIONAL_AGE)).isEqualTo(42);
    }

    @Test
    void softDeletedVersionsAreHiddenButTheirIdsStillResolve() {
        register("users-value", V1);
        register("users-value", V2_OPTIONAL_AGE);
        store.apply(new SchemasRecord.SubjectDeleted("users-value", 1));

        assertThat(store.versions("users-value")).containsExactly(2);
        assertThat(store.schema(1)).isEqualTo(V1);
        store.apply(new SchemasRecord.SchemaVersionRemoved("users-value", 2));
        assertThatThrownBy(() -> store.versions("users-value"))
                .isInstanceOfSatisfying(RegistryRequestException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
    }

    @Test
    void registeringAKnownSchemaAgainJournalsNothing() {
        int id = register("users-value", V1);

        SchemaStore.Registration again = store.planRegistration("users-value", V1);

        assertThat(again.id()).isEqualTo(id);
        assertThat(again.entry()).isEmpty();
    }

    @Test
    void backwardByDefaultRefusesANewRequiredFieldWithoutDefault() {
        register("users-value", V1);

        assertThatThrownBy(() -> register("users-value", V2_REQUIRED_AGE))
                .isInstanceOfSatisfying(RegistryRequestException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(409);
                })
                .hasMessageContaining("compatibility BACKWARD")
                .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE")
                .hasMessageContaining("age");
    }

    @Test
    void backwardAcceptsDroppingAFieldAsAvroReadersIgnoreIt() {
        register("users-value", V1);

        assertThat(register("users-value", NO_NAME)).isEqualTo(2);
    }

    @Test
    void forwardAndFullRefuseDroppingARequiredField() {
        register("users-value", V1);
        write(new SchemasRecord.Config("users-value", CompatibilityLevel.FULL));

        assertThatThrownBy(() -> register("users-value", NO_NAME))
                .hasMessageContaining("readers using version 1 cannot read data written with the new schema")
                .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE")
                .hasMessageContaining("name");
    }

    @Test
    void transitiveLevelsCheckEveryVersionNotJustTheLatest() {
        write(new SchemasRecord.Config(null, CompatibilityLevel.NONE));
        register("users-value", V1);
        register("users-value", NO_NAME);
        String nameWithoutDefault = canonical("""
                {"type":"record","name":"User","fields":[{"name":"age","type":["null","int"],"default":null},
                 {"name":"nick","type":["null","string"],"default":null}]}""");

        write(new SchemasRecord.Config(null, CompatibilityLevel.FORWARD));
        assertThat(store.compatibilityProblems("users-value", null, nameWithoutDefault)).isEmpty();
        write(new SchemasRecord.Config(null, CompatibilityLevel.FORWARD_TRANSITIVE));
        assertThat(store.compatibilityProblems("users-value", null, nameWithoutDefault))
                .singleElement().asString().startsWith("readers using version 1");
    }

    private int register(String subject, String schema) {
        SchemaStore.Registration registration = store.planRegistration(subject, schema);
        registration.entry().ifPresent(this::write);
        return registration.id();
    }

    private void write(SchemasRecord entry) {
        journal.add(entry);
        store.apply(entry);
    }

    private static String canonical(String schema) {
        return new Schema.Parser().parse(schema).toString();
    }
}
