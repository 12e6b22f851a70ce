#!/usr/bin/env bash
# Start or stop a one-node OpenSearch 2.19 on 127.0.0.1:9200: opensearch.sh start|stop DIR
ENGINE=opensearch
MAIN=org.codelibs.opensearch.runner.OpenSearchRunner
YML=opensearch.yml
BASE_PORT=9199
TRANSPORT_PORT=9300
ENV_NAME=REPO_TEST_OPENSEARCH_URL
source "$(dirname "${BASH_SOURCE[0]}")/runner.sh"
main "$@"
