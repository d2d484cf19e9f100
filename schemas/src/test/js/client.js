// Talks to a schema registry with Confluent's official JS client, as a third-party producer would, and prints what
// it got as one JSON object on stdout.
//
// Usage:
//   node client.js register REGISTRY_URL SUBJECT SCHEMA_FILE
//       registers the Avro schema, fetches it back by id and the subject's latest version, and tests it for
//       compatibility against that version
//   node client.js produce REGISTRY_URL TOPIC RECORD_JSON_FILE OUT_FILE
//       serializes the JSON record with the latest schema of TOPIC-value (Confluent wire format) into OUT_FILE
'use strict';

const fs = require('node:fs');
const { SchemaRegistryClient, AvroSerializer, SerdeType } = require('@confluentinc/schemaregistry');

async function register(registry, subject, schemaFile) {
  const schema = { schemaType: 'AVRO', schema: fs.readFileSync(schemaFile, 'utf8') };
  const id = await registry.register(subject, schema);
  const fetched = await registry.getBySubjectAndId(subject, id);
  const latest = await registry.getLatestSchemaMetadata(subject);
  const compatible = await registry.testCompatibility(subject, latest.version, schema);
  return { id, fetched: fetched.schema, latestVersion: latest.version, latestId: latest.id, compatible };
}

async function produce(registry, topic, recordFile, outFile) {
  const serializer = new AvroSerializer(registry, SerdeType.VALUE, { useLatestVersion: true });
  const bytes = await serializer.serialize(topic, JSON.parse(fs.readFileSync(recordFile, 'utf8')));
  fs.writeFileSync(outFile, bytes);
  return { bytes: bytes.length, schemaId: bytes.readInt32BE(1) };
}

async function main([command, registryUrl, ...args]) {
  const registry = new SchemaRegistryClient({ baseURLs: [registryUrl] });
  if (command === 'register' && args.length === 2) {
    return register(registry, ...args);
  }
  if (command === 'produce' && args.length === 3) {
    return produce(registry, ...args);
  }
  throw new Error('usage: node client.js register URL SUBJECT SCHEMA_FILE | produce URL TOPIC RECORD_FILE OUT_FILE');
}

main(process.argv.slice(2))
  .then((result) => process.stdout.write(JSON.stringify(result) + '\n'))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
