"""Sở Y tế's window: intake, follow-up of the communes, province measures, feedback, exports."""
