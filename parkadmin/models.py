"""The parkadmin app keeps no tables of its own.

This module exists so Django sends the app its `post_migrate` signal (it does so only for apps with a models
module): that signal re-syncs the roles' permissions after every migrate.
"""
