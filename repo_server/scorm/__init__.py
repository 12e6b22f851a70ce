"""SCORM lectures: import, play with tracking, results, export."""

from repo_server.scorm.packages import register

register()
