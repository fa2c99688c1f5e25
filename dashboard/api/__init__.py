"""What /api/dashboard/ answers, described for the OpenAPI schema and the clients generated from it."""
