#!/usr/bin/env bash
# Start or stop a one-node Elasticsearch 7.10.2 (OSS jars) on 127.0.0.1:9210:
# elasticsearch.sh start|stop DIR
ENGINE=elasticsearch
MAIN=org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner
YML=elasticsearch.yml
BASE_PORT=9209
TRANSPORT_PORT=9310
ENV_NAME=REPO_TEST_ELASTIC_URL
source "$(dirname "${BASH_SOURCE[0]}")/runner.sh"
main "$@"
